"""Inbound leads: speed to lead. A lead arrives (``POST /api/leads`` or the signed inbound
webhook), becomes a prospect by the importer's rules, is enrolled in an inbound playbook, and its
first touch runs at once through the ordinary claim and touch graph."""
