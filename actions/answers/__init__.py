"""Answers to Help questions, one module per topic; postsale.catalogue names which answers what.

Each answer is a pure async function of API data (client, order context, language) -> Answer,
testable against the simulator without a tracker; actions/help.py turns it into messages.
"""
