"""Meetings (möten): dialogue cafés, workshops, open houses and walks that
residents find, sign up for without an account, and hear back from."""
