"""Accounts: the custom User (email login), guest identity and the Owner of data, and how
allauth is customised: two-factor (P2), social sign-in (P3), captcha (P6) and age (P7)."""
