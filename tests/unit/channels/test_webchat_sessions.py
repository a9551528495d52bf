"""Only the server starts a web chat session; a token it did not issue names nobody."""

from __future__ import annotations

import pytest

from bot.channels.webchat_sessions import SessionTokens, conversation_id_of

SECRET = "a-server-secret-of-some-length"


@pytest.fixture
def tokens() -> SessionTokens:
    return SessionTokens(SECRET)


def test_an_issued_token_continues_its_own_namespaced_conversation(tokens) -> None:
    token = tokens.issue()
    conversation = tokens.conversation_of(token)
    assert conversation is not None and conversation.startswith("webchat-")
    assert conversation == conversation_id_of(token)
    assert tokens.conversation_of(tokens.issue()) != conversation


def test_another_servers_token_is_not_continued(tokens) -> None:
    assert tokens.conversation_of(SessionTokens("another-secret-entirely").issue()) is None


@pytest.mark.parametrize(
    "claimed",
    [
        "0f" * 16,  # a bare conversation id of the old format
        "webchat-" + "0f" * 16,
        "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",  # shaped like a WeChat OpenID
        "0f" * 16 + "." + "A" * 43,  # the right shape, a made-up signature
        "../../etc/passwd",
        "",
        None,
        5,
        {"session_id": "x"},
        "x" * 10_000,
    ],
)
def test_ids_the_server_never_issued_are_refused(tokens, claimed) -> None:
    assert tokens.conversation_of(claimed) is None


def test_a_token_with_one_character_changed_is_refused(tokens) -> None:
    token = tokens.issue()
    session, signature = token.split(".")
    flipped = ("1" if session[0] != "1" else "2") + session[1:]
    assert tokens.conversation_of(f"{flipped}.{signature}") is None


def test_the_secret_comes_from_the_environment_and_must_be_long(caplog) -> None:
    shared = SessionTokens.from_environment({"WEBCHAT_SESSION_SECRET": SECRET})
    assert SessionTokens(SECRET).conversation_of(shared.issue()) is not None
    with pytest.raises(ValueError):
        SessionTokens("short")
    alone = SessionTokens.from_environment({})
    assert alone.conversation_of(alone.issue()) is not None
    assert "WEBCHAT_SESSION_SECRET" in caplog.text
