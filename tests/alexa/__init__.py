"""Helpers speaking Alexa's real protocol: signed envelopes, certificate chains, Reminders API."""
