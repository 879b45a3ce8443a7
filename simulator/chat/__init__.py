"""Buyer chat page at `/chat`: play the buyer against the bot in a browser."""
