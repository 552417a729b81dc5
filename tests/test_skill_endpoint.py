"""Real signed Alexa requests over HTTP to the skill served on 127.0.0.1, verification on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from intents.store.schema import check_ins, households
from tests.alexa.envelopes import body, envelope, intent, launch, resolved_slot
from tests.alexa.harness import Alexa, app_for, make_config
from tests.alexa.pki import make_authority
from tests.alexa.server import serving


@pytest.fixture
def alexa(tmp_path, companion, clock) -> Iterator[Alexa]:
    authority = make_authority(clock.now)
    chains: dict[str, bytes] = {}
    app = app_for(make_config(tmp_path, authority, companion, clock, chains))
    with serving(app) as url:
        yield Alexa(url, authority, clock, chains=chains)


def count(companion, table) -> int:
    with companion.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_launch_greets_and_keeps_listening(alexa):
    reply = alexa.send(launch(), api_token=None)
    assert reply.status == 200
    assert "tonight's question" in reply.ssml
    assert not reply.ends and reply.data["response"]["reprompt"]


def test_tonight_question_is_spoken_slowly_with_a_pause_and_a_card(alexa, companion):
    reply = alexa.send(intent("TonightQuestionIntent"), api_token=None)
    assert reply.ssml.startswith("<speak>") and '<prosody rate="90%">' in reply.ssml
    assert '<break time="' in reply.ssml
    card = reply.data["response"]["card"]
    questions = {q.rendered("couple") for q in companion.conversation.content.questions}
    assert card["content"] in questions and card["content"] in reply.ssml


def test_synonyms_arrive_resolved_to_their_canonical_value(alexa, companion):
    alexa.send(intent("TonightQuestionIntent"), api_token=None)
    request = resolved_slot(intent("AnotherQuestionIntent"), "depth", "more personal", "deeper")
    reply = alexa.send(request, api_token=None)
    assert "deeper" in reply.ssml.lower() or "deep end" in reply.ssml.lower()


@pytest.mark.parametrize(
    ("slot", "said"), [("depth", "more personal"), ("depth", "sideways"), ("category", "romantic")]
)
def test_unresolved_slot_values_never_break_the_reply(alexa, companion, caplog, slot, said):
    alexa.send(intent("TonightQuestionIntent"), api_token=None)
    reply = alexa.send(intent("AnotherQuestionIntent", **{slot: said}), api_token=None)
    assert reply.status == 200
    assert "sorry" not in reply.ssml.lower() and "romantic one" not in reply.ssml.lower()
    assert "handler failed" not in caplog.text


def test_one_check_in_request_stores_one_check_in(alexa, companion):
    reply = alexa.send(intent("CheckInIntent", rating="4"), api_token=None)
    assert reply.status == 200 and "4" in reply.ssml
    assert count(companion, check_ins) == 1


def test_a_retried_request_with_the_same_request_id_is_stored_once(alexa, companion):
    data = body(envelope(intent("CheckInIntent", rating="4"), alexa.clock.now, api_token=None))
    first = alexa.post_raw(data, alexa.signed_headers(data))
    retried = alexa.post_raw(data, alexa.signed_headers(data))  # Alexa retries after a timeout
    assert first.status_code == retried.status_code == 200
    assert count(companion, check_ins) == 1


def test_alexa_time_slots_create_reminders_in_the_household(alexa, companion):
    reply = alexa.send(intent("ReminderCreateIntent", time="21:30"), api_token=None)
    assert reply.status == 200
    # Without an API token the skill cannot reach the Reminders API: it asks for permission.
    directives = reply.data["response"].get("directives") or []
    assert directives and directives[0]["type"] == "Connections.SendRequest"
    assert directives[0]["name"] == "AskFor"


def test_person_ids_map_to_people_of_one_household(alexa, companion):
    alexa.send(intent("CheckInIntent", rating="3"), api_token=None, person_id="amzn1.ask.person.A")
    alexa.send(intent("CheckInIntent", rating="5"), api_token=None, person_id="amzn1.ask.person.B")
    assert count(companion, households) == 1
    assert count(companion, check_ins) == 2


def test_session_ended_gets_an_empty_response(alexa):
    reply = alexa.send({"type": "SessionEndedRequest", "reason": "USER_INITIATED"}, api_token=None)
    assert reply.status == 200
    assert "outputSpeech" not in reply.data["response"]


def test_can_fulfill_says_yes_only_for_our_intents(alexa):
    ours = alexa.send(
        {
            "type": "CanFulfillIntentRequest",
            "intent": {"name": "TonightQuestionIntent", "slots": {}},
        },
        api_token=None,
    )
    assert ours.data["response"]["canFulfillIntent"]["canFulfill"] == "YES"
    other = alexa.send(
        {"type": "CanFulfillIntentRequest", "intent": {"name": "OrderPizzaIntent", "slots": {}}},
        api_token=None,
    )
    assert other.data["response"]["canFulfillIntent"]["canFulfill"] == "NO"


@pytest.mark.parametrize(
    ("slots", "verdict", "slot_verdicts"),
    [
        ({"category": "emotional"}, "YES", {"category": "YES"}),
        ({"category": "romantic"}, "NO", {"category": "NO"}),
        ({"depth": "more personal"}, "YES", {"depth": "YES"}),
        ({"depth": "super intense"}, "NO", {"depth": "NO"}),
        ({"colour": "blue"}, "NO", {"colour": "NO"}),
    ],
)
def test_can_fulfill_never_says_yes_with_a_slot_it_cannot_fulfil(
    alexa, slots, verdict, slot_verdicts
):
    answer = alexa.send(
        {
            "type": "CanFulfillIntentRequest",
            "intent": {
                "name": "AnotherQuestionIntent",
                "slots": {k: {"name": k, "value": v} for k, v in slots.items()},
            },
        },
        api_token=None,
    ).data["response"]["canFulfillIntent"]
    assert answer["canFulfill"] == verdict
    for name, expected in slot_verdicts.items():
        assert answer["slots"][name] == {"canUnderstand": expected, "canFulfill": expected}


def test_can_fulfill_reads_durations_and_times_as_alexa_sends_them(alexa):
    def ask(name, **slots):
        return alexa.send(
            {
                "type": "CanFulfillIntentRequest",
                "intent": {
                    "name": name,
                    "slots": {k: {"name": k, "value": v} for k, v in slots.items()},
                },
            },
            api_token=None,
        ).data["response"]["canFulfillIntent"]["canFulfill"]

    assert ask("PhoneFreeStartIntent", minutes="PT20M") == "YES"
    assert ask("PhoneFreeStartIntent", minutes="?") == "NO"
    assert ask("ReminderCreateIntent", time="21:00") == "YES"
    assert ask("ReminderCreateIntent", time="purple") == "NO"


def test_unknown_intents_and_request_types_get_a_graceful_reply(alexa):
    unknown = alexa.send(intent("OrderPizzaIntent"), api_token=None)
    assert unknown.status == 200 and "tonight's question" in unknown.ssml
    odd = alexa.send({"type": "Alexa.Presentation.APL.UserEvent"}, api_token=None)
    assert odd.status == 200 and "<speak>" in odd.ssml


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("ACCEPTED", "Reminders are allowed now"),
        ("DENIED", "won't set reminders"),
        ("NOT_ANSWERED", "card"),
    ],
)
def test_permission_answers_are_handled_gracefully(alexa, status, expected):
    reply = alexa.send(
        {
            "type": "Connections.Response",
            "name": "AskFor",
            "token": "reminders-permission",
            "status": {"code": "200", "message": "OK"},
            "payload": {
                "permissionScope": "alexa::alerts:reminders:skill:readwrite",
                "status": status,
            },
        },
        api_token=None,
    )
    assert reply.status == 200 and expected in reply.ssml
    if status == "NOT_ANSWERED":
        assert reply.data["response"]["card"]["type"] == "AskForPermissionsConsent"


def test_healthz(alexa):
    import requests

    assert requests.get(f"{alexa.url}/healthz", timeout=5).json() == {"status": "ok"}


def test_an_appreciation_said_to_alexa_is_stored_but_never_logged(alexa, companion, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    secret = "the way you laughed at breakfast"
    alexa.send(intent("CheckInIntent", rating="4"), api_token=None)
    reply = alexa.send(intent("AppreciationIntent", appreciation=secret), api_token=None)
    assert reply.status == 200 and reply.ends
    with companion.engine.connect() as conn:
        assert conn.execute(select(check_ins.c.appreciation)).scalar_one() == secret
    assert caplog.records and secret not in caplog.text


def test_an_internal_error_is_a_logged_500_with_its_traceback(tmp_path, companion, clock, caplog):
    import logging

    from intents.responses import Responses

    caplog.set_level(logging.ERROR)
    companion.conversation.responses = Responses({})  # every reply, even the apology, now fails
    authority = make_authority(clock.now)
    app = app_for(make_config(tmp_path, authority, companion, clock, {}))
    with serving(app) as url:
        reply = Alexa(url, authority, clock).send(intent("AMAZON.HelpIntent"), api_token=None)
    assert reply.status == 500
    assert "Traceback" in caplog.text and "internal error" in caplog.text


def test_a_request_that_fails_verification_stays_a_400(alexa):
    response = alexa.post_raw(b'{"version": "1.0"}', {"Content-Type": "application/json"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "request_body",
    [
        {
            "type": "System.ExceptionEncountered",
            "error": {"type": "INVALID_RESPONSE", "message": "bad SSML"},
            "cause": {"requestId": "amzn1.echo-api.request.earlier"},
        },
        {"type": "AlexaSkillEvent.SkillEnabled", "body": {}},
        {
            "type": "AlexaSkillEvent.SkillPermissionAccepted",
            "body": {"acceptedPermissions": [{"scope": "alexa::alerts:reminders:skill:readwrite"}]},
        },
        {
            "type": "AlexaSkillEvent.SkillDisabled",
            "body": {"userInformationPersistenceStatus": "NOT_PERSISTED"},
        },
    ],
)
def test_requests_that_allow_no_speech_get_an_empty_response_and_a_log_line(
    alexa, caplog, request_body
):
    import logging

    caplog.set_level(logging.WARNING)
    reply = alexa.send(dict(request_body), api_token=None)
    assert reply.status == 200
    response = reply.data.get("response") or {}
    assert "outputSpeech" not in response and "reprompt" not in response
    assert request_body["type"] in caplog.text


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("Buy", {"purchaseResult": "ACCEPTED", "productId": "amzn1.adg.product.x"}),
        ("Upsell", {"purchaseResult": "DECLINED"}),
        ("AskFor", {"permissionScope": "alexa::profile:email:read", "status": "ACCEPTED"}),
    ],
)
def test_connection_responses_that_are_not_our_permission_answer_are_not_taken_as_one(
    alexa, companion, name, payload
):
    reply = alexa.send(
        {
            "type": "Connections.Response",
            "name": name,
            "token": "reminders-permission",
            "status": {"code": "200", "message": "OK"},
            "payload": payload,
        },
        api_token=None,
    )
    assert reply.status == 200
    text = reply.data["response"].get("outputSpeech", {}).get("ssml", "")
    assert "reminder" not in text.lower()


@pytest.mark.parametrize("said", ["0", "-5", "2.5", "?"])
def test_unusable_phone_free_minutes_get_a_question_not_a_silent_default(alexa, companion, said):
    from intents.store.schema import timers

    asked = alexa.send(intent("PhoneFreeStartIntent", minutes=said), api_token=None)
    assert not asked.ends and "minutes" in asked.ssml and "?" in asked.ssml
    assert count(companion, timers) == 0
    alexa.send(intent("PhoneFreeStartIntent", minutes="20"), api_token=None)
    assert count(companion, timers) == 1


@pytest.mark.parametrize("said", ["7", "0", "-1"])
def test_ratings_outside_one_to_five_get_a_question_and_store_nothing(alexa, companion, said):
    asked = alexa.send(intent("CheckInIntent", rating=said), api_token=None)
    assert not asked.ends and "one to five" in asked.ssml
    assert count(companion, check_ins) == 0
