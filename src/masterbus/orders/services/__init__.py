"""Writes of the orders app, one topic per module: engineers (profiles, packages, samples),
ordering (quote, create, checkout), purpose (the payment callbacks), workflow (every move of the
state machine), deliveries (versions, previews, revision notes), retention (P15), events (the
timeline and its notifications)."""
