"""API tokens: both configuration forms, strength, scopes, authentication and throttling."""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from pathlib import Path

import pytest

from ris3kg.api.tokens import (
    ADMIN_SCOPE,
    MIN_TOKEN_LENGTH,
    AuthError,
    Token,
    TokenConfig,
    TokenConfigError,
    TokenGuard,
    merge,
    parse_tokens,
    read_tokens_file,
)

BLEKINGE = "bLk7-Qx2vN9pR4sT8wZ1yC6dF3gH5jK0mE"  # 34 characters, all four classes
TESTLANDIA = "tst4Lnd9aQw2Er7Ty1Ui8Op3As6Df0GhJk"
ADMIN = "Adm1n-9f8e7d6c5b4a3210ZYXWVUTSRQPO"
UNKNOWN = "UnKn0wn-0000-1111-2222-3333-44445555"

NEW_FORM = {
    BLEKINGE: {"name": "Region Blekinge", "scopes": ["blekinge"]},
    TESTLANDIA: {"name": "Testlandia", "scopes": ["testlandia", "testlandia-2"]},
    ADMIN: {"name": "Maintainers", "scopes": [ADMIN_SCOPE]},
}


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def config() -> TokenConfig:
    return parse_tokens(NEW_FORM, source="tokens.json")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def guard(config: TokenConfig, clock: FakeClock) -> TokenGuard:
    return TokenGuard(config, max_failures=5, window=60.0, clock=clock)


def _bearer(token: str) -> str:
    return f"Bearer {token}"


def _auth_error(guard: TokenGuard, header: str | None, *, client: str = "10.0.0.1") -> AuthError:
    with pytest.raises(AuthError) as caught:
        guard.authenticate(header, client=client)
    return caught.value


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    path.chmod(0o600)
    return path


# --------------------------------------------------------------------------- configuration


def test_the_new_form_gives_scoped_tokens(config: TokenConfig) -> None:
    assert config.warnings == ()
    assert config.tokens[BLEKINGE] == Token(name="Region Blekinge", scopes=frozenset({"blekinge"}))
    assert config.tokens[TESTLANDIA].scopes == {"testlandia", "testlandia-2"}
    assert not config.tokens[BLEKINGE].is_admin and config.tokens[ADMIN].is_admin


def test_a_new_form_file_is_read(tmp_path: Path) -> None:
    config = read_tokens_file(_write(tmp_path / "tokens.json", NEW_FORM))
    assert config == parse_tokens(NEW_FORM, source="tokens.json")
    assert set(config.tokens) == {BLEKINGE, TESTLANDIA, ADMIN}


def test_the_old_form_gives_admin_tokens_with_a_warning(tmp_path: Path) -> None:
    config = read_tokens_file(_write(tmp_path / "old.json", {BLEKINGE: "Region Blekinge"}))
    token = config.tokens[BLEKINGE]
    assert token.name == "Region Blekinge" and token.is_admin and token.may_accept("norrbotten")
    (warning,) = config.warnings
    assert "old.json" in warning and "Region Blekinge" in warning and "admin" in warning and "scopes" in warning
    assert BLEKINGE not in warning and BLEKINGE[:5] not in warning


def test_both_forms_may_be_mixed() -> None:
    config = parse_tokens({BLEKINGE: {"name": "Region Blekinge", "scopes": ["blekinge"]}, ADMIN: "Ops"}, source="x")
    assert not config.tokens[BLEKINGE].is_admin and config.tokens[ADMIN].is_admin
    assert len(config.warnings) == 1 and "'Ops'" in config.warnings[0]


def test_the_config_is_read_only_and_does_not_show_tokens(config: TokenConfig) -> None:
    with pytest.raises(TypeError):
        config.tokens[UNKNOWN] = Token(name="x", scopes=frozenset({"x"}))  # type: ignore[index]
    assert BLEKINGE not in repr(config) and BLEKINGE not in str(config)
    assert hash(config) == hash(parse_tokens(NEW_FORM, source="other"))


@pytest.mark.parametrize(
    ("weak", "reason"),
    [
        ("aB3-x", "too short"),
        ("aB3-x" * 6 + "Q", "too short"),  # 31 characters
        ("a" * 40, "different characters"),
        ("1234567890" * 4, "one kind"),  # 40 digits, 10 different ones
        ("abcdefghijklmnopqrstuvwxyzabcdefgh", "one kind"),
        ("abcdefghij klmnopqrstuvwxyz0123456789", "visible ASCII"),
        ("åbcdefghijklmnopqrstuvwxyz0123456789", "visible ASCII"),
    ],
)
def test_weak_tokens_are_refused_without_showing_them(weak: str, reason: str) -> None:
    for entry in ({"name": "Region Blekinge", "scopes": ["blekinge"]}, "Region Blekinge"):
        with pytest.raises(TokenConfigError) as caught:
            parse_tokens({BLEKINGE: {"name": "Fine", "scopes": ["x"]}, weak: entry}, source="tokens.json")
        message = str(caught.value)
        assert reason in message and "tokens.json" in message and "entry 2" in message
        assert "Region Blekinge" in message
        assert weak not in message and weak[:5] not in message and BLEKINGE[:5] not in message


def test_the_length_rule_is_the_documented_one() -> None:
    good = "aB3-" * (MIN_TOKEN_LENGTH // 4)
    assert len(good) == MIN_TOKEN_LENGTH
    with pytest.raises(TokenConfigError, match="different characters"):
        parse_tokens({good: "x"}, source="s")  # 4 distinct characters
    varied = "aB3-cD4_eF5.gH6~" * 2
    assert parse_tokens({varied: "x"}, source="s").tokens[varied].name == "x"
    with pytest.raises(TokenConfigError, match="too short"):
        parse_tokens({varied[:-1]: "x"}, source="s")


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"name": "Blekinge"}, "scopes"),
        ({"name": "Blekinge", "scopes": []}, "non-empty list"),
        ({"name": "Blekinge", "scopes": "blekinge"}, "non-empty list"),
        ({"name": "Blekinge", "scopes": ["Blekinge"]}, "bad scopes"),
        ({"name": "Blekinge", "scopes": ["-blekinge"]}, "bad scopes"),
        ({"name": "Blekinge", "scopes": ["a" * 64]}, "bad scopes"),
        ({"name": "Blekinge", "scopes": ["blekinge\n"]}, "bad scopes"),
        ({"name": "Blekinge", "scopes": [3]}, "bad scopes"),
        ({"name": "", "scopes": ["blekinge"]}, "name"),
        ({"name": "  ", "scopes": ["blekinge"]}, "name"),
        ({"scopes": ["blekinge"]}, "name"),
        ({"name": 7, "scopes": ["blekinge"]}, "name"),
        ({"name": "Blekinge", "scope": ["blekinge"]}, "unknown keys"),
        ("", "name"),
        ("   ", "name"),
        (["Blekinge"], "expected"),
        (None, "expected"),
    ],
)
def test_bad_entries_are_refused(entry: object, reason: str) -> None:
    with pytest.raises(TokenConfigError) as caught:
        parse_tokens({BLEKINGE: entry}, source="tokens.json")
    message = str(caught.value)
    assert reason in message and message.startswith("tokens.json: entry 1")
    assert BLEKINGE not in message and BLEKINGE[:5] not in message


def test_the_longest_namespace_is_accepted() -> None:
    namespace = "a" + "-" * 61 + "z"
    assert (
        parse_tokens({BLEKINGE: {"name": "x", "scopes": [namespace]}}, source="s")
        .tokens[BLEKINGE]
        .may_accept(namespace)
    )


@pytest.mark.parametrize("data", [[], "tokens", None, 3, [[BLEKINGE, "x"]]])
def test_a_configuration_that_is_not_an_object_is_refused(data: object) -> None:
    with pytest.raises(TokenConfigError, match=r"^tokens\.json: expected a JSON object"):
        parse_tokens(data, source="tokens.json")


def test_all_problems_are_listed() -> None:
    with pytest.raises(TokenConfigError) as caught:
        parse_tokens({"short": "A", BLEKINGE: {"name": "B", "scopes": []}, ADMIN: "C"}, source="t.json")
    message = str(caught.value)
    assert "entry 1 ('A'" in message and "entry 2 ('B'" in message and "entry 3" not in message


def test_non_string_tokens_are_refused() -> None:
    with pytest.raises(TokenConfigError, match="must be a string"):
        parse_tokens({42: "x"}, source="s")


def test_file_errors_name_the_file_only(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(TokenConfigError) as caught:
        read_tokens_file(missing)
    assert str(caught.value).startswith("missing.json: cannot read") and str(tmp_path) not in str(caught.value)

    broken = tmp_path / "broken.json"
    broken.write_text(f'{{"{BLEKINGE}": "x",', encoding="utf-8")
    with pytest.raises(TokenConfigError) as caught:
        read_tokens_file(broken)
    assert str(caught.value).startswith("broken.json: not valid JSON") and BLEKINGE not in str(caught.value)
    assert str(tmp_path) not in str(caught.value)

    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe{}")
    with pytest.raises(TokenConfigError, match=r"^binary\.json: the file is not UTF-8"):
        read_tokens_file(binary)

    weak = _write(tmp_path / "weak.json", {"12345": "Region Blekinge"})
    with pytest.raises(TokenConfigError) as caught:
        read_tokens_file(weak)
    assert str(caught.value).startswith("weak.json: entry 1 ('Region Blekinge'") and "12345" not in str(caught.value)
    assert str(tmp_path) not in str(caught.value)


def test_a_token_listed_twice_in_a_file_is_refused(tmp_path: Path) -> None:
    twice = tmp_path / "twice.json"
    twice.write_text(f'{{"{BLEKINGE}": "Region Blekinge", "{BLEKINGE}": "Someone else"}}', encoding="utf-8")
    with pytest.raises(TokenConfigError, match="appears twice") as caught:
        read_tokens_file(twice)
    assert BLEKINGE not in str(caught.value)


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_file_others_may_read_gives_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path / "tokens.json", NEW_FORM)
    assert read_tokens_file(path).warnings == ()
    path.chmod(0o644)
    (warning,) = read_tokens_file(path).warnings
    assert "tokens.json" in warning and "chmod 600" in warning and str(tmp_path) not in warning


def test_merge_combines_tokens_and_warnings(config: TokenConfig) -> None:
    old = parse_tokens({UNKNOWN: "Ops"}, source="old.json")
    merged = merge(config, old)
    assert set(merged.tokens) == {BLEKINGE, TESTLANDIA, ADMIN, UNKNOWN}
    assert merged.warnings == old.warnings
    assert merge() == TokenConfig(tokens={}, warnings=())
    assert merge(config) == config


def test_merge_later_wins_with_a_warning(config: TokenConfig) -> None:
    again = parse_tokens({BLEKINGE: {"name": "Blekinge again", "scopes": ["blekinge", "kalmar"]}}, source="b.json")
    merged = merge(config, again)
    assert merged.tokens[BLEKINGE].name == "Blekinge again"
    (warning,) = merged.warnings
    assert "Region Blekinge" in warning and "Blekinge again" in warning and BLEKINGE not in warning
    assert merge(config, config).warnings == ()  # the same entry twice is no conflict


def test_a_config_made_directly_is_checked_too() -> None:
    with pytest.raises(TokenConfigError, match="too short") as caught:
        TokenConfig(tokens={"weak": Token(name="x", scopes=frozenset({"x"}))})
    assert "weak" not in str(caught.value)


def test_token_scopes_must_be_a_collection() -> None:
    with pytest.raises(TypeError):
        Token(name="x", scopes="blekinge")  # type: ignore[arg-type]
    assert Token(name="x", scopes={"a", "b"}).scopes == frozenset({"a", "b"})  # type: ignore[arg-type]


# --------------------------------------------------------------------------- authentication and scopes


def test_a_known_token_authenticates(guard: TokenGuard, config: TokenConfig) -> None:
    assert guard.authenticate(_bearer(BLEKINGE), client="10.0.0.1") is config.tokens[BLEKINGE]
    assert guard.authenticate(f"  bearer   {ADMIN}  ", client="10.0.0.1").is_admin


@pytest.mark.parametrize("header", [None, "", "   "])
def test_no_header_is_401(guard: TokenGuard, header: str | None) -> None:
    error = _auth_error(guard, header)
    assert error.status == 401 and "Bearer" in error.message and error.retry_after is None


@pytest.mark.parametrize(
    "header",
    [BLEKINGE, f"Basic {BLEKINGE}", "Bearer", "Bearer   ", f"Bearer {BLEKINGE} extra", f"Token {BLEKINGE}"],
)
def test_a_malformed_header_is_401(guard: TokenGuard, header: str) -> None:
    error = _auth_error(guard, header)
    assert error.status == 401 and "Bearer <token>" in error.message
    assert BLEKINGE not in error.message and BLEKINGE not in repr(error)


@pytest.mark.parametrize("token", [UNKNOWN, BLEKINGE[:-1], BLEKINGE + "x", BLEKINGE.upper(), "é" * 40, "\udcff"])
def test_an_unknown_token_is_401(guard: TokenGuard, token: str) -> None:
    error = _auth_error(guard, _bearer(token))
    assert error.status == 401 and "not known" in error.message and token not in error.message


def test_scopes_are_enforced(guard: TokenGuard) -> None:
    blekinge = guard.authenticate(_bearer(BLEKINGE), client="c")
    guard.authorize(blekinge, "blekinge")
    with pytest.raises(AuthError) as caught:
        guard.authorize(blekinge, "testlandia")
    error = caught.value
    assert error.status == 403 and error.retry_after is None
    assert "'testlandia'" in error.message and "'blekinge'" in error.message and "Region Blekinge" in error.message
    assert BLEKINGE not in error.message and BLEKINGE[:4] not in error.message

    testlandia = guard.authenticate(_bearer(TESTLANDIA), client="c")
    guard.authorize(testlandia, "testlandia-2")
    with pytest.raises(AuthError, match="'blekinge'"):
        guard.authorize(testlandia, "blekinge")


def test_an_admin_token_may_accept_any_namespace(guard: TokenGuard) -> None:
    admin = guard.authenticate(_bearer(ADMIN), client="c")
    for namespace in ("blekinge", "testlandia", "norrbotten", "a-new-region"):
        guard.authorize(admin, namespace)
        assert admin.may_accept(namespace)


def test_403_does_not_count_as_a_failure(guard: TokenGuard) -> None:
    blekinge = guard.authenticate(_bearer(BLEKINGE), client="c")
    for _ in range(10):
        with pytest.raises(AuthError):
            guard.authorize(blekinge, "testlandia")
    assert guard.authenticate(_bearer(BLEKINGE), client="c") is blekinge


def test_the_guard_does_not_show_tokens(guard: TokenGuard) -> None:
    assert "3 tokens" in repr(guard) and BLEKINGE not in repr(guard)


@pytest.mark.parametrize("options", [{"max_failures": 0}, {"window": 0}, {"window": -1.0}, {"max_clients": 0}])
def test_bad_guard_options_are_refused(config: TokenConfig, options: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        TokenGuard(config, **options)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- throttling


def _fail(guard: TokenGuard, times: int, *, client: str = "10.0.0.1") -> None:
    for _ in range(times):
        assert _auth_error(guard, _bearer(UNKNOWN), client=client).status == 401


def test_after_five_failures_even_a_right_token_gets_429(guard: TokenGuard, clock: FakeClock) -> None:
    _fail(guard, 4)
    clock.now += 10
    _fail(guard, 1)
    clock.now += 5
    for header in (_bearer(BLEKINGE), _bearer(UNKNOWN), None, "Basic x"):
        error = _auth_error(guard, header)
        assert error.status == 429 and error.retry_after == 45  # the first failure leaves the window at +60
        assert "45 seconds" in error.message


def test_throttled_attempts_do_not_extend_the_wait(guard: TokenGuard, clock: FakeClock) -> None:
    _fail(guard, 5)
    for step in range(1, 6):
        clock.now += 10
        assert _auth_error(guard, _bearer(UNKNOWN)).retry_after == 60 - 10 * step
    clock.now += 9.5
    assert _auth_error(guard, _bearer(BLEKINGE)).retry_after == 1  # rounded up, never 0
    clock.now += 0.5
    assert guard.authenticate(_bearer(BLEKINGE), client="10.0.0.1").name == "Region Blekinge"


def test_after_the_window_it_works_again(guard: TokenGuard, clock: FakeClock) -> None:
    _fail(guard, 5)
    assert _auth_error(guard, _bearer(BLEKINGE)).status == 429
    clock.now += 60
    assert guard.authenticate(_bearer(BLEKINGE), client="10.0.0.1").name == "Region Blekinge"
    _fail(guard, 4)
    assert guard.authenticate(_bearer(BLEKINGE), client="10.0.0.1").name == "Region Blekinge"


def test_the_window_slides(guard: TokenGuard, clock: FakeClock) -> None:
    for _ in range(5):
        _fail(guard, 1)
        clock.now += 10  # failures at +0, +10, ..., +40
    clock.now = 1000.0 + 60  # the first has left the window: one more guess
    _fail(guard, 1)
    assert _auth_error(guard, _bearer(BLEKINGE)).retry_after == 10  # the one at +10 leaves at +70


def test_a_success_does_not_reset_the_count(guard: TokenGuard) -> None:
    for _ in range(4):
        _fail(guard, 1)
        guard.authenticate(_bearer(BLEKINGE), client="10.0.0.1")
    _fail(guard, 1)
    assert _auth_error(guard, _bearer(BLEKINGE)).status == 429


def test_malformed_headers_count_but_missing_ones_do_not(guard: TokenGuard) -> None:
    for _ in range(20):
        assert _auth_error(guard, None).status == 401
    for _ in range(5):
        assert _auth_error(guard, "Basic dXNlcjpwYXNz").status == 401
    assert _auth_error(guard, _bearer(BLEKINGE)).status == 429


def test_two_clients_are_independent(guard: TokenGuard) -> None:
    _fail(guard, 5, client="10.0.0.1")
    assert _auth_error(guard, _bearer(BLEKINGE), client="10.0.0.1").status == 429
    assert guard.authenticate(_bearer(BLEKINGE), client="10.0.0.2").name == "Region Blekinge"
    _fail(guard, 4, client="10.0.0.2")
    assert guard.authenticate(_bearer(BLEKINGE), client="10.0.0.2").name == "Region Blekinge"


def test_max_clients_bounds_the_state(config: TokenConfig, clock: FakeClock) -> None:
    guard = TokenGuard(config, max_failures=2, window=60.0, max_clients=3, clock=clock)
    for index in range(100):
        _fail(guard, 2, client=f"10.0.1.{index}")
        assert len(guard._failures) <= 3
    # the three most recent are still throttled; older ones were dropped
    for index in (97, 98, 99):
        assert _auth_error(guard, _bearer(BLEKINGE), client=f"10.0.1.{index}").status == 429
    assert guard.authenticate(_bearer(BLEKINGE), client="10.0.1.0").name == "Region Blekinge"


def test_a_recent_failure_keeps_a_client_tracked(config: TokenConfig, clock: FakeClock) -> None:
    guard = TokenGuard(config, max_failures=2, window=60.0, max_clients=2, clock=clock)
    _fail(guard, 1, client="a")
    _fail(guard, 1, client="b")
    _fail(guard, 1, client="a")  # a failed last: b is the oldest
    _fail(guard, 1, client="c")
    assert set(guard._failures) == {"a", "c"}
    assert _auth_error(guard, _bearer(BLEKINGE), client="a").status == 429


def test_expired_clients_are_forgotten(guard: TokenGuard, clock: FakeClock) -> None:
    for index in range(50):
        _fail(guard, 1, client=f"c{index}")
    clock.now += 61
    guard.authenticate(_bearer(BLEKINGE), client="someone")
    assert len(guard._failures) == 0


def test_many_threads_give_consistent_counts(config: TokenConfig) -> None:
    clock = FakeClock()
    guard = TokenGuard(config, max_failures=5, window=60.0, clock=clock)
    clients = [f"192.0.2.{index}" for index in range(4)]
    threads, attempts = 16, 200
    outcomes: Counter[tuple[str, str]] = Counter()
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def work(number: int) -> None:
        local: Counter[tuple[str, str]] = Counter()
        try:
            start.wait()
            for attempt in range(attempts):
                client = clients[(number + attempt) % len(clients)]
                token = (BLEKINGE, UNKNOWN, ADMIN, "Bearer nonsense")[attempt % 4]
                header = token if token.startswith("Bearer") else _bearer(token)
                try:
                    found = guard.authenticate(header, client=client)
                    assert found.name in ("Region Blekinge", "Maintainers")
                    local[client, "ok"] += 1
                except AuthError as exc:
                    local[client, str(exc.status)] += 1
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        with lock:
            outcomes.update(local)

    workers = [threading.Thread(target=work, args=(number,)) for number in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert sum(outcomes.values()) == threads * attempts
    for client in clients:
        per_client = outcomes[client, "ok"] + outcomes[client, "401"] + outcomes[client, "429"]
        assert per_client == threads * attempts // len(clients)
        assert outcomes[client, "401"] == 5  # exactly max_failures failures were let through
        assert outcomes[client, "429"] == per_client - 5 - outcomes[client, "ok"]
        assert _auth_error(guard, _bearer(BLEKINGE), client=client).status == 429
    assert {status for _, status in outcomes} <= {"ok", "401", "429"}
    assert len(guard._failures) == len(clients)
