"""Handoff: routing rules, rep queues, tickets, SLA, notifications, export.

Public entry points (keyword-only, each takes the caller's session):
``rules.load_routing_file / routing_for / save_routing``, ``routing.route_handoff /
route_pending``, ``tickets.build_ticket / transition``, ``queue.list_queue``,
``sla.check_sla``, ``metrics.handoff_metrics``, ``notify.EmailNotifier`` and
``webhook.WebhookNotifier``, ``export.export_handoffs``, ``bench.bench_routing``.
"""
