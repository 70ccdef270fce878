"""The inbox: comments, replies and mentions from every connected account, as conversations."""
