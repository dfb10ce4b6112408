"""Data-protection rights: export, account deletion, the rights-request queue, staff roles and the
audit log of administrative actions (P20, P30, P32, P34)."""
