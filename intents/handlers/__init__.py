"""Intent handlers: one function per intent; answers are routed to what was asked."""

from __future__ import annotations

from collections.abc import Callable

from intents.handlers import (
    audience,
    basics,
    care,
    checkin,
    deep_dive,
    listening,
    love_maps,
    opening_up,
    phone_free,
    plans,
    practices,
    questions,
    reminders,
    together,
)
from intents.matcher import HARD_MOMENTS
from intents.slots import parse_minutes, parse_time
from intents.turn import Handler, Turn

HANDLERS: dict[str, Handler] = {
    "Launch": basics.launch,
    "TonightQuestion": questions.tonight_question,
    "AnotherQuestion": questions.another_question,
    "NextTurn": questions.next_turn,
    "SetNames": questions.set_names,
    "SetAudience": audience.set_audience,
    "RomanceOn": audience.romance_on,
    "RomanceOff": audience.romance_off,
    "CheckIn": checkin.check_in,
    "Rating": checkin.rating,
    "Appreciation": checkin.appreciation,
    "HowAreWeDoing": checkin.how_are_we_doing,
    "Encourage": together.encourage,
    "TrySomethingNew": together.try_something_new,
    "TouchRitual": practices.touch_ritual,
    "LoveMaps": love_maps.start,
    "ActiveListening": listening.start,
    "OpeningUp": opening_up.start,
    "PlanIdea": plans.plan,
    "PlanCancel": plans.cancel,
    "PhoneFreeStart": phone_free.start,
    "PhoneFreeRemaining": phone_free.remaining,
    "PhoneFreeExtend": phone_free.extend,
    "PhoneFreeStop": phone_free.stop,
    "ReminderCreate": reminders.create,
    "ReminderList": reminders.list_reminders,
    "ReminderCancel": reminders.cancel,
    "DeepDive": deep_dive.start,
    "Resume": deep_dive.resume,
    "Next": practices.next_step,
    "ForgetUs": basics.forget_us,
    "Help": basics.help_,
    "Stop": practices.stop,
    "Cancel": basics.cancel,
    "Repeat": basics.repeat,
    "Yes": basics.yes,
    "No": basics.no,
    "StartOver": basics.start_over,
    "Fallback": basics.fallback,
    "Distress": care.distress,
    "Conflict": care.conflict,
    "Unsafe": care.unsafe,
    "SelfHarm": care.self_harm,
    "Repair": care.repair,
}

YES_NO: dict[str, tuple[Handler, Handler]] = {
    "calm_break": (care.take_break, care.skip_break),
    "repair_offer": (care.repair, care.decline),
    "end_reminder": (phone_free.remind_at_end, phone_free.no_reminder_at_end),
}
"""Questions answered by yes or no, with what each answer does."""

MODES: dict[str, set[str]] = {
    "deep_dive": {
        "Next",
        "Resume",
        "DeepDive",
        "Repeat",
        "NextTurn",
        "Help",
        "Fallback",
        "Yes",
        "No",
        "StartOver",
    },
    love_maps.MODE: practices.CARRY_ON | {"LoveMaps"},
    listening.MODE: practices.CARRY_ON | {"ActiveListening"},
    opening_up.MODE: practices.CARRY_ON | {"OpeningUp"},
    "question": {
        "TonightQuestion",
        "AnotherQuestion",
        "NextTurn",
        "Repeat",
        "Help",
        "Fallback",
        "Next",
        "Yes",
        "No",
        "Resume",
        "StartOver",
    },
}
"""The intents that carry on a mode; anything else means people have moved on."""

CONTROL = {"Stop", "Cancel", "No", "Repeat", "Help", "ForgetUs", "StartOver"}
"""What people say to steer the companion, never an answer to its question."""


# While waiting for an answer: the handler that takes it, the intents that are that answer, and a
# test that claims even a control word as the answer ("all" is not "that's all" here). Anything
# the classifier only guessed (no template says it) is taken as the answer too: an appreciation
# can sound like any request, but "what's tonight's question" is still a request.
ANSWERS: dict[str, tuple[Handler, set[str], Callable[[str], bool]]] = {
    "appreciation": (checkin.appreciation, {"Fallback", "Appreciation"}, lambda text: False),
    "reminder_time": (
        reminders.time_answer,
        {"Fallback", "Rating", "ReminderCreate"},
        lambda text: parse_time(text) is not None,
    ),
    "phone_free_minutes": (
        phone_free.minutes_answer,
        {"Fallback", "Rating", "PhoneFreeStart"},
        lambda text: parse_minutes(text) is not None,
    ),
    "listening_check": (
        listening.check_answer,
        {"Fallback", "Yes", "No", "Rating"},
        listening.is_check_answer,
    ),
    "plan_time": (
        plans.time_answer,
        {"Fallback", "Rating", "PlanIdea", "ReminderCreate"},
        lambda text: parse_time(text) is not None,
    ),
    "reminder_which": (
        reminders.which_answer,
        {"Fallback", "Rating", "ReminderCancel"},
        reminders.is_which_answer,
    ),
}


def route(turn: Turn) -> Handler:
    """The handler for this turn, given what the previous reply was waiting for."""
    name = turn.request.name
    pending = turn.pending
    if name in HARD_MOMENTS:
        return HANDLERS[name]
    mode = turn.state.get("mode")
    if mode and name not in MODES.get(mode, set()):
        turn.state.pop("mode", None)
    if pending in YES_NO and name in ("Yes", "No"):
        return YES_NO[pending][0 if name == "Yes" else 1]
    if care.in_repair(turn):
        if name in ("Next", "Yes"):
            return care.repair_next
        if name in ("Stop", "Cancel", "No"):
            return care.leave_repair
    if pending in ANSWERS:
        handler, takes, claims = ANSWERS[pending]
        guessed = turn.request.guessed and name not in CONTROL
        if name in takes or guessed or claims(turn.request.text):
            return handler
    if pending == "rating" and name == "Fallback":
        return checkin.rating
    return HANDLERS.get(name, basics.fallback)
