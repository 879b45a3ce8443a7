"""Tools for the people who train the bot: checks they run before committing NLU or response changes."""
