"""The Alexa custom skill: a verified Flask endpoint on ask-sdk-core over the shared core."""
