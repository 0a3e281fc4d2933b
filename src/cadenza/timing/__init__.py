"""Calendar rules in one place: business days (weekends and the country's public holidays),
send windows in the recipient's time zone, and working hours for the handoff SLA.

Pure functions of dates, zones and settings: no database, no clock of its own (callers pass
``now``). Imports only the playbook schema; everything that schedules imports this.
"""
