"""Course writes: authoring (audited, P20), enrolment and payment, progress and completion."""
