"""`masterbus token create --email EMAIL [--name NAME] [--expires-days N]` and
`masterbus token revoke`."""

from __future__ import annotations

import argparse
import os
import sys

EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="masterbus token", description="personal API tokens")
    sub = parser.add_subparsers(dest="action", required=True)
    p = sub.add_parser("create", help="create a token and print it (shown only this once)")
    p.add_argument("--email", required=True, help="the account the token acts as")
    p.add_argument("--name", default="command line", help="a name to tell tokens apart")
    p.add_argument(
        "--expires-days", type=int, metavar="N", help="valid N days (default: until revoked)"
    )
    p = sub.add_parser("revoke", help="revoke a token")
    p.add_argument("--email", required=True)
    p.add_argument("--prefix", required=True, help="the part after mb_ shown in the token list")
    return parser


def token(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    from masterbus.config.launcher import DEFAULT_SETTINGS

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()
    from masterbus.accounts.models import User
    from masterbus.api.selectors import token_list_for_user
    from masterbus.api.services import TokenError, token_create, token_revoke

    user = User.objects.filter(email__iexact=args.email.strip()).first()
    if user is None:
        print(f"masterbus: error: no account with the email {args.email}", file=sys.stderr)
        return EXIT_USAGE
    if args.action == "create":
        try:
            _, text = token_create(user=user, name=args.name, expires_days=args.expires_days)
        except TokenError as exc:
            print(f"masterbus: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(text)
        return 0
    found = token_list_for_user(user).filter(prefix=args.prefix.removeprefix("mb_")).first()
    if found is None or not token_revoke(user=user, token_id=found.pk):
        print(f"masterbus: error: no active token {args.prefix} for {user.email}", file=sys.stderr)
        return EXIT_USAGE
    print(f"revoked {found.name} (mb_{found.prefix})")
    return 0
