"""Listening insights: language, sentiment, crisis detection, trends and keyword suggestions."""
