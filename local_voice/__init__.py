"""The offline voice loop: Vosk listening, pyttsx3 speaking, all on the home computer."""
