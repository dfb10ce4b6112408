"""Recovery-code check benchmark: why the codes are stored as keyed HMAC-SHA256 and not argon2.

Run with ``.venv/bin/python bench/recovery_codes_bench.py``. A wrong code is checked against a
full set of ten stored codes (the worst case, every hash is tried), once with the project's
keyed hashes (masterbus.accounts.recovery_codes) and once with Django's argon2 password hasher
as configured for passwords; it prints the median time of one attempt for each, and argon2's
memory per hash.
"""

from __future__ import annotations

import statistics
import time

from inprocess import throwaway_platform

CODES = 10
ROUNDS = {"hmac": 2000, "argon2": 5}


def median_ms(attempt, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        attempt()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    with throwaway_platform("recovery"):
        from django.contrib.auth.hashers import Argon2PasswordHasher, check_password

        from masterbus.accounts.recovery_codes import code_hash, code_matches, new_code

        codes = [new_code() for _ in range(CODES)]
        wrong = new_code()
        keyed = [code_hash(code) for code in codes]
        hasher = Argon2PasswordHasher()
        slow = [hasher.encode(code, hasher.salt()) for code in codes]

        hmac_ms = median_ms(lambda: [code_matches(s, wrong) for s in keyed], ROUNDS["hmac"])
        argon_ms = median_ms(lambda: [check_password(wrong, s) for s in slow], ROUNDS["argon2"])
        print(f"one wrong code against {CODES} stored codes (median):")
        print(f"  keyed HMAC-SHA256 (ours): {hmac_ms:8.3f} ms")
        print(
            f"  argon2 (Django's hasher): {argon_ms:8.1f} ms, "
            f"{hasher.memory_cost // 1024} MiB per hash"
        )


if __name__ == "__main__":
    main()
