"""Input channels: how buyers reach the assistant."""
