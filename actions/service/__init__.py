"""Use cases: what the conversation, the CLI and the agent console ask of the store."""
