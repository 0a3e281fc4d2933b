"""Event webhooks: subscriptions, the deliverer and the delivery body. The events themselves and
their outbox rows are written by :func:`cadenza.store.events.record_event`."""
