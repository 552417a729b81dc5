"""Intent handlers: one function per intent; answers are routed to what was asked."""

from __future__ import annotations

from intents.conversation import Handler, Turn
from intents.handlers import (
    basics,
    checkin,
    deep_dive,
    phone_free,
    questions,
    reminders,
    together,
)

HANDLERS: dict[str, Handler] = {
    "Launch": basics.launch,
    "TonightQuestion": questions.tonight_question,
    "AnotherQuestion": questions.another_question,
    "NextTurn": questions.next_turn,
    "SetNames": questions.set_names,
    "CheckIn": checkin.check_in,
    "Rating": checkin.rating,
    "Appreciation": checkin.appreciation,
    "HowAreWeDoing": checkin.how_are_we_doing,
    "Encourage": together.encourage,
    "TrySomethingNew": together.try_something_new,
    "TouchRitual": together.touch_ritual,
    "PhoneFreeStart": phone_free.start,
    "PhoneFreeRemaining": phone_free.remaining,
    "PhoneFreeExtend": phone_free.extend,
    "PhoneFreeStop": phone_free.stop,
    "ReminderCreate": reminders.create,
    "ReminderList": reminders.list_reminders,
    "ReminderCancel": reminders.cancel,
    "DeepDive": deep_dive.start,
    "Resume": deep_dive.resume,
    "Next": deep_dive.next_question,
    "ForgetUs": basics.forget_us,
    "Help": basics.help_,
    "Stop": basics.stop,
    "Cancel": basics.cancel,
    "Repeat": basics.repeat,
    "Yes": basics.yes,
    "No": basics.no,
    "StartOver": basics.start_over,
    "Fallback": basics.fallback,
}

# While waiting for an answer, these intents (and anything not understood) are that answer.
ANSWERS: dict[str, tuple[Handler, set[str]]] = {
    "appreciation": (checkin.appreciation, {"Fallback", "Appreciation"}),
    "reminder_time": (reminders.time_answer, {"Fallback", "Rating", "ReminderCreate"}),
    "reminder_which": (reminders.which_answer, {"Fallback", "Rating", "ReminderCancel"}),
}


def route(turn: Turn) -> Handler:
    """The handler for this turn, given what the previous reply was waiting for."""
    name = turn.request.name
    pending = turn.pending
    if pending in ANSWERS:
        handler, takes = ANSWERS[pending]
        if name in takes:
            return handler
    if pending == "rating" and name == "Fallback":
        return checkin.rating
    return HANDLERS.get(name, basics.fallback)
