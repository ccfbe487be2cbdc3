"""API tokens for taking submissions in: scoped to strategies, checked for strength, and throttled.

A token configuration maps each bearer token to whom it belongs and which strategy namespaces it may
accept submissions for. It is a JSON object in one of two forms::

    {"<token>": {"name": "Region Blekinge", "scopes": ["blekinge"]}}   # the form to use
    {"<token>": "Region Blekinge"}                                       # the old form: an admin token

``"scopes"`` lists strategy namespaces (``"blekinge"``, ``"testlandia"``: lower-case letters, digits and
hyphens, at most 63 characters, not starting with a hyphen) or :data:`ADMIN_SCOPE` (``"*"``), which may
accept any strategy. The old form is still read, each entry as an admin token, with a warning asking to
add scopes.

Token strength: a token is refused unless it

* is at least :data:`MIN_TOKEN_LENGTH` (32) characters long,
* uses at least :data:`MIN_DISTINCT_CHARACTERS` (10) different characters, and
* mixes at least two of the four character classes: lower-case letters, upper-case letters, digits,
  other symbols (so neither 40 digits nor 40 letters "a" pass);

and it may only contain visible ASCII characters (no spaces), so that it can be sent in an HTTP header.
``python -c "import secrets; print(secrets.token_urlsafe(32))"`` makes a suitable token.

Error messages and warnings never show a token: an entry is named by its position, its name and at
most the token's first four characters followed by an ellipsis (fewer for short tokens).

Using it in a request handler::

    guard = TokenGuard(read_tokens_file(path))
    try:
        token = guard.authenticate(request.headers.get("Authorization"), client=request.remote_addr or "")
        guard.authorize(token, namespace)
    except AuthError as exc:
        ...  # exc.status, exc.message, exc.retry_after (send Retry-After with a 429)
    record(submitted_by=token.name)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import re
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

ADMIN_SCOPE = "*"
"""The scope that may accept submissions for any strategy."""

MIN_TOKEN_LENGTH = 32
"""The fewest characters a token may have."""

MIN_DISTINCT_CHARACTERS = 10
"""The fewest different characters a token may use."""

MIN_CHARACTER_CLASSES = 2
"""The fewest character classes (lower case, upper case, digits, symbols) a token must mix."""

_NAMESPACE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]+")
_ENTRY_KEYS = frozenset({"name", "scopes"})
_MAKE_ONE = 'make one with: python -c "import secrets; print(secrets.token_urlsafe(32))"'


@dataclass(frozen=True)
class Token:
    """What a token may do.

    Attributes:
        name: Recorded with each version the token accepts (``submitted_by``).
        scopes: The strategy namespaces the token may accept submissions for, or :data:`ADMIN_SCOPE`.
    """

    name: str
    scopes: frozenset[str]

    def __post_init__(self) -> None:
        if isinstance(self.scopes, str):
            raise TypeError("Token.scopes must be a collection of namespaces, not one string")
        object.__setattr__(self, "scopes", frozenset(self.scopes))

    @property
    def is_admin(self) -> bool:
        """Whether the token may accept submissions for any strategy."""
        return ADMIN_SCOPE in self.scopes

    def may_accept(self, namespace: str) -> bool:
        """Whether the token may accept a submission for the strategy namespace ``namespace``.

        Args:
            namespace: A strategy namespace, such as ``"blekinge"``.

        Returns:
            True for an admin token or a namespace among the token's scopes.
        """
        return self.is_admin or namespace in self.scopes


class TokenConfigError(ValueError):
    """The tokens configuration is unusable.

    The message names the source (a file by its name, not its absolute path) and the entry, never the
    token's value.
    """


@dataclass(frozen=True)
class TokenConfig:
    """Known tokens, and warnings about how they were configured.

    Attributes:
        tokens: Token value to what it may do; read-only. Not shown by ``repr``.
        warnings: Things to fix in the configuration, e.g. entries in the old form taken as admin tokens.
    """

    tokens: Mapping[str, Token] = field(default_factory=dict, repr=False, hash=False)
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        tokens = dict(self.tokens)
        problems = []
        for index, (value, token) in enumerate(tokens.items(), start=1):
            name = token.name if isinstance(token, Token) else None
            problem = _token_problem(value) or (None if name is not None else "expected a Token")
            if problem:
                problems.append(f"{_entry(index, value, name)}: {problem}")
        if problems:
            raise TokenConfigError("TokenConfig: " + "; ".join(problems))
        object.__setattr__(self, "tokens", MappingProxyType(tokens))
        object.__setattr__(self, "warnings", tuple(self.warnings))

    def __repr__(self) -> str:
        return f"TokenConfig(<{len(self.tokens)} tokens>, warnings={self.warnings!r})"


def parse_tokens(data: object, *, source: str) -> TokenConfig:
    """Read a tokens configuration from decoded JSON.

    Both forms are accepted: ``{"<token>": {"name": "Region Blekinge", "scopes": ["blekinge"]}}``,
    where ``scopes`` is a non-empty list of strategy namespaces (``^[a-z0-9][a-z0-9-]{0,62}$``) or
    ``"*"`` (admin), and the old ``{"<token>": "<name>"}``, whose entries become admin tokens with a
    warning naming the entry and asking to add scopes.

    Args:
        data: The decoded JSON (a mapping).
        source: Where it came from, for messages (a file's name, or e.g. ``"SUBMISSION_TOKENS"``).

    Returns:
        The tokens, and warnings.

    Raises:
        TokenConfigError: ``data`` is not such a mapping, or an entry has a weak or malformed token, an
            unknown key, an empty name, or missing or bad scopes. All problems are listed; the message
            never contains a token (at most its first 4 characters followed by an ellipsis).
    """
    if not isinstance(data, Mapping):
        raise TokenConfigError(
            f'{source}: expected a JSON object {{"<token>": {{"name": "<name>", "scopes": ["<namespace>"]}}}}, '
            f"not {_json_type(data)}"
        )
    tokens: dict[str, Token] = {}
    problems: list[str] = []
    warnings: list[str] = []
    for index, (value, entry) in enumerate(data.items(), start=1):
        name, scopes, entry_problems = _read_entry(entry)
        where = _entry(index, value, name)
        if not isinstance(value, str):
            problems.append(f"{where}: the token must be a string, not {_json_type(value)}")
            continue
        token_problem = _token_problem(value)
        if token_problem:
            entry_problems.insert(0, token_problem)
        if entry_problems:
            problems.extend(f"{where}: {problem}" for problem in entry_problems)
            continue
        assert name is not None and scopes is not None
        if isinstance(entry, str):
            warnings.append(
                f'{source}: {where} uses the old form "<token>": "<name>" and is taken as an admin token '
                f'(it may accept submissions for any strategy); give it scopes: {{"name": {json.dumps(name)}, '
                f'"scopes": ["<namespace>"]}}'
            )
        tokens[value] = Token(name=name, scopes=scopes)
    if problems:
        raise TokenConfigError(f"{source}: " + "; ".join(problems))
    return TokenConfig(tokens=tokens, warnings=tuple(warnings))


def read_tokens_file(path: Path) -> TokenConfig:
    """Read a tokens configuration from a JSON file (see :func:`parse_tokens` for the forms).

    A file that other users may read or change (on POSIX systems) gives a warning.

    Args:
        path: The JSON file.

    Returns:
        The tokens, and warnings.

    Raises:
        TokenConfigError: The file cannot be read, is not JSON, has a key twice in one object, or is not
            a usable configuration; the message names the file by its name only (``path.name``).
    """
    source = path.name
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise TokenConfigError(f"{source}: cannot read the file ({exc.strerror or type(exc).__name__})") from None
    except UnicodeDecodeError:
        raise TokenConfigError(f"{source}: the file is not UTF-8 text") from None
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKeyError:
        raise TokenConfigError(f"{source}: a key appears twice in one JSON object (is a token listed twice?)") from None
    except json.JSONDecodeError as exc:
        raise TokenConfigError(f"{source}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    config = parse_tokens(data, source=source)
    warnings = list(config.warnings)
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = 0
    if os.name == "posix" and mode & 0o077:
        warnings.append(f"{source}: other users may read or change the file; restrict it (chmod 600 {source})")
    return TokenConfig(tokens=config.tokens, warnings=tuple(warnings))


def merge(*configs: TokenConfig) -> TokenConfig:
    """Combine token configurations.

    Args:
        *configs: Configurations; for a token in more than one, the last one wins (with a warning).

    Returns:
        All their tokens, and all their warnings.
    """
    tokens: dict[str, Token] = {}
    warnings: list[str] = []
    for config in configs:
        warnings.extend(config.warnings)
        for value, token in config.tokens.items():
            earlier = tokens.get(value)
            if earlier is not None and earlier != token:
                warnings.append(
                    f"the token of {earlier.name!r} ({_prefix(value)}) is configured again, "
                    f"for {token.name!r}: the later entry is used"
                )
            tokens[value] = token
    return TokenConfig(tokens=tokens, warnings=tuple(warnings))


class AuthError(Exception):
    """A request may not take a submission in.

    Attributes:
        status: The HTTP status: 401 (no token, or an unknown one), 403 (a valid token for another
            strategy) or 429 (too many failed attempts; send ``Retry-After``).
        message: What the client should do.
        retry_after: Seconds to wait, for a 429; otherwise None.
    """

    def __init__(self, status: int, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"AuthError(status={self.status}, message={self.message!r}, retry_after={self.retry_after!r})"


class TokenGuard:
    """Authenticates bearer headers and throttles failed attempts per client address; thread-safe.

    A failure is an attempt that presents credentials (an ``Authorization`` header) which are not a
    known bearer token; an attempt without the header is refused (401) but guesses nothing, so it is
    not counted. After ``max_failures`` failures from one client within ``window`` seconds, every
    further attempt from it (even with a right token, to stop guessing) gets 429 with a Retry-After
    until the oldest of those failures is ``window`` seconds old: a client can make at most
    ``max_failures`` wrong guesses in any ``window`` seconds. A successful attempt does not reset the
    count, so guesses cannot be interleaved with a good token. Attempts refused with 429 are not
    counted either.

    Memory is bounded: failures are tracked for at most ``max_clients`` addresses (the one whose last
    failure is oldest is dropped first), and for each at most ``max_failures`` failure times; addresses
    whose failures are all older than ``window`` are forgotten.

    A presented token is compared with every known token in constant time (``hmac.compare_digest`` of
    SHA-256 digests, so neither the position of a match nor the tokens' lengths show in the timing).
    """

    def __init__(
        self,
        config: TokenConfig,
        *,
        max_failures: int = 5,
        window: float = 60.0,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Make a guard for the tokens of ``config``.

        Args:
            config: The known tokens.
            max_failures: Failures a client may make within ``window`` seconds before it is throttled.
            window: Seconds a failure counts against its client.
            max_clients: Client addresses whose failures are tracked at most.
            clock: Seconds, monotonic (a fake clock in tests).

        Raises:
            ValueError: ``max_failures`` or ``max_clients`` is below 1, or ``window`` is not positive.
        """
        if max_failures < 1:
            raise ValueError(f"max_failures must be at least 1, not {max_failures}")
        if not window > 0:
            raise ValueError(f"window must be a positive number of seconds, not {window}")
        if max_clients < 1:
            raise ValueError(f"max_clients must be at least 1, not {max_clients}")
        self._known: tuple[tuple[bytes, Token], ...] = tuple(
            (_digest(value), token) for value, token in config.tokens.items()
        )
        self._max_failures = max_failures
        self._window = float(window)
        self._max_clients = max_clients
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def __repr__(self) -> str:
        return (
            f"TokenGuard(<{len(self._known)} tokens>, max_failures={self._max_failures}, "
            f"window={self._window}, max_clients={self._max_clients})"
        )

    def authenticate(self, authorization: str | None, *, client: str) -> Token:
        """Check an ``Authorization`` header.

        Args:
            authorization: The header's value, or None when the request has none.
            client: The client's address (e.g. ``request.remote_addr``), which failures are counted for.

        Returns:
            The token presented.

        Raises:
            AuthError: 401 without a ``Bearer <token>`` header or with an unknown token; 429 when the
                client has failed too often recently (``retry_after`` seconds to wait).
        """
        presented = _bearer(authorization)
        matched = self._match(presented) if presented else None
        with self._lock:
            now = self._clock()
            self._forget_expired(now)
            wait = self._throttled(client, now)
            if wait is not None:
                raise AuthError(
                    429,
                    f"too many failed attempts to authenticate from this address; try again in {wait} seconds",
                    retry_after=wait,
                )
            if matched is not None:
                return matched
            if authorization is None or not authorization.strip():
                raise AuthError(
                    401,
                    "taking a submission in needs a token: send the header 'Authorization: Bearer <token>'",
                )
            self._record_failure(client, now)
        if presented is None:
            raise AuthError(401, "the Authorization header must be 'Bearer <token>' (one token, no spaces)")
        raise AuthError(401, "the token is not known: check it, or ask the maintainers for one")

    def authorize(self, token: Token, namespace: str) -> None:
        """Check that ``token`` may accept a submission for the strategy ``namespace``.

        Args:
            token: A token from :meth:`authenticate`.
            namespace: The strategy namespace the submission is for.

        Raises:
            AuthError: 403 naming the namespace and the token's scopes.
        """
        if not token.may_accept(namespace):
            scopes = ", ".join(repr(scope) for scope in sorted(token.scopes)) or "none"
            raise AuthError(
                403,
                f"the token of {token.name!r} may accept submissions for {scopes} only, not for {namespace!r}; "
                f"use a token with the scope {namespace!r}",
            )

    # ------------------------------------------------------------------ internals (under self._lock)

    def _match(self, presented: str) -> Token | None:
        digest = _digest(presented)
        found: Token | None = None
        for known, token in self._known:  # no early exit: every known token is compared
            if hmac.compare_digest(known, digest):
                found = token
        return found

    def _throttled(self, client: str, now: float) -> int | None:
        failures = self._failures.get(client)
        if failures is None:
            return None
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        if len(failures) < self._max_failures:
            return None
        return max(1, math.ceil(failures[0] + self._window - now))

    def _record_failure(self, client: str, now: float) -> None:
        failures = self._failures.get(client)
        if failures is None:
            failures = self._failures[client] = deque(maxlen=self._max_failures)
        else:
            self._failures.move_to_end(client)
        failures.append(now)
        while len(self._failures) > self._max_clients:
            self._failures.popitem(last=False)

    def _forget_expired(self, now: float) -> None:
        # Ordered by last failure, oldest first: drop clients whose last failure has left the window.
        while self._failures:
            client, failures = next(iter(self._failures.items()))
            if failures and failures[-1] > now - self._window:
                break
            del self._failures[client]


# --------------------------------------------------------------------------- helpers


class _DuplicateKeyError(ValueError):
    pass


def _unique_keys(pairs: Iterable[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError
        result[key] = value
    return result


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()


def _bearer(authorization: str | None) -> str | None:
    """The token of a ``Bearer <token>`` header, or None."""
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or any(character.isspace() for character in token):
        return None
    return token


def _token_problem(value: object) -> str | None:
    """Why ``value`` is not a usable token, or None: the strength rule of the module's docstring."""
    if not isinstance(value, str):
        return f"the token must be a string, not {_json_type(value)}"
    if not _VISIBLE_ASCII.fullmatch(value):
        return "the token may only contain visible ASCII characters (no spaces)"
    if len(value) < MIN_TOKEN_LENGTH:
        return f"the token is too short ({len(value)} characters, at least {MIN_TOKEN_LENGTH} needed); {_MAKE_ONE}"
    distinct = len(set(value))
    if distinct < MIN_DISTINCT_CHARACTERS:
        return (
            f"the token uses too few different characters ({distinct}, at least {MIN_DISTINCT_CHARACTERS} "
            f"needed); {_MAKE_ONE}"
        )
    classes = sum(
        any(test(character) for character in value)
        for test in (
            lambda c: "a" <= c <= "z",
            lambda c: "A" <= c <= "Z",
            lambda c: "0" <= c <= "9",
            lambda c: not c.isalnum(),
        )
    )
    if classes < MIN_CHARACTER_CLASSES:
        return (
            f"the token uses only one kind of character (it needs at least {MIN_CHARACTER_CLASSES} of: lower-case "
            f"letters, upper-case letters, digits, symbols); {_MAKE_ONE}"
        )
    return None


def _read_entry(entry: object) -> tuple[str | None, frozenset[str] | None, list[str]]:
    """The name, the scopes and the problems of one entry's value (either form)."""
    if isinstance(entry, str):
        if not entry.strip():
            return None, None, ["the name is empty"]
        return entry.strip(), frozenset({ADMIN_SCOPE}), []
    if not isinstance(entry, Mapping):
        return (
            None,
            None,
            [f'expected {{"name": "<name>", "scopes": ["<namespace>"]}} or "<name>", not {_json_type(entry)}'],
        )
    problems: list[str] = []
    unknown = sorted(str(key) for key in entry if key not in _ENTRY_KEYS)
    if unknown:
        problems.append(f"unknown keys {', '.join(map(repr, unknown))} (expected 'name' and 'scopes')")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(
            "the name is missing or empty" if name is None or isinstance(name, str) else "the name must be a string"
        )
        name = None
    else:
        name = name.strip()
    scopes = entry.get("scopes")
    if scopes is None:
        problems.append('"scopes" is missing: list the strategy namespaces the token may accept, or "*"')
        return name, None, problems
    if not isinstance(scopes, list) or not scopes:
        problems.append('"scopes" must be a non-empty list of strategy namespaces (or "*")')
        return name, None, problems
    bad = [
        scope
        for scope in scopes
        if not isinstance(scope, str) or not (scope == ADMIN_SCOPE or _NAMESPACE.fullmatch(scope))
    ]
    if bad:
        shown = ", ".join(json.dumps(scope, default=repr) for scope in bad)
        problems.append(
            f"bad scopes {shown}: a scope is a strategy namespace (lower-case letters, digits and hyphens, at most "
            '63 characters, not starting with a hyphen) or "*"'
        )
        return name, None, problems
    return name, frozenset(scopes), problems


def _prefix(value: str) -> str:
    """At most the first 4 characters of a token and an ellipsis: fewer for short tokens (1 per 8 characters)."""
    return value[: min(4, len(value) // 8)] + "…"


def _entry(index: int, value: object, name: str | None) -> str:
    parts = [f"{name!r}"] if name else []
    if isinstance(value, str):
        parts.append(f"token {_prefix(value)}")
    return f"entry {index}" + (f" ({', '.join(parts)})" if parts else "")


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


def read_tokens(path: Path) -> dict[str, str]:
    """Check a tokens file (for the CLI's ``--tokens``); return its token names.

    Raises:
        ValueError: The file cannot be read, is not a tokens object, or holds a weak token.
    """
    config = read_tokens_file(path)
    return {token: entry.name for token, entry in config.tokens.items()}
