"""Where orders come from: the store database or a store platform's API."""
