"""The hosted checkout page of the test server (its own page: our site's CSP does not apply)."""

from __future__ import annotations

from html import escape

STYLE = """
body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;
color:#1b1b1f;background:#f6f6f8}
.banner{background:#ffe8a3;border:2px solid #b38600;border-radius:8px;padding:.75rem 1rem;
font-weight:700}
.card{background:#fff;border:1px solid #ccc;border-radius:10px;padding:1rem 1.25rem;margin:1rem 0}
table{width:100%;border-collapse:collapse}td{padding:.3rem 0}td.num{text-align:right}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input{font-size:1rem;padding:.6rem;width:100%;box-sizing:border-box;border:1px solid #888;
border-radius:6px}
button{font-size:1rem;min-height:44px;padding:.5rem 1.25rem;border-radius:6px;border:0;
background:#3d2fd1;color:#fff;cursor:pointer;margin:.75rem .5rem 0 0}
button.decline{background:#fff;color:#a4001b;border:2px solid #a4001b}
.error{color:#a4001b;font-weight:700}.hint{color:#555;font-size:.9rem}
"""


def _money(amount: int, currency: str) -> str:
    return f"{amount / 100:,.2f} {currency.upper()}"


def checkout_page(session: dict, error: str = "") -> str:
    setup = session["mode"] == "setup"
    rows = "".join(
        f"<tr><td>{line['quantity']} × {escape(line['description'])}</td>"
        f"<td class='num'>{_money(line['unit_amount'] * line['quantity'], session['currency'])}"
        "</td></tr>"
        for line in session["_lines"]
    )
    if setup:
        summary = "<p>Save a card for later: nothing is charged now.</p>"
        button, hint = (
            "Save the card",
            ("4000 0000 0000 0341 is saved but declined when charged later."),
        )
    else:
        total = _money(session["amount_total"], session["currency"])
        summary = (
            f"<table>{rows}<tr><td><strong>Total</strong></td>"
            f"<td class='num'><strong>{total}</strong></td></tr></table>"
        )
        button, hint = f"Pay {total}", ""
    alert = f"<p class='error' role='alert'>{escape(error)}</p>" if error else ""
    if session["status"] != "open":
        form = f"<p>This checkout is {escape(session['status'])}.</p>"
    else:
        form = f"""<form method="post">
<label for="card">Card number</label>
<input id="card" name="card" inputmode="numeric" autocomplete="off"
 value="4242 4242 4242 4242" aria-describedby="card-hint">
<p class="hint" id="card-hint">Test cards only: 4242 4242 4242 4242 pays,
4000 0000 0000 0002 is declined. {hint} Any expiry in the future, any CVC.</p>
<button type="submit" name="action" value="pay">{button}</button>
<button type="submit" name="action" value="decline" class="decline">Try a declined card</button>
</form>
<p><a href="{escape(session["cancel_url"])}">Cancel and go back</a></p>"""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>TEST PAYMENTS - checkout</title><style>{STYLE}</style></head><body><main>
<p class="banner">TEST PAYMENTS - no real money. This is Masterbus's local test payment server,
not Stripe; nothing is charged.</p>
<h1>Checkout</h1>
<div class="card">{summary}</div>
{alert}{form}</main></body></html>"""
