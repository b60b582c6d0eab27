"""Reading a plan file: YAML parsed with every value's line and column kept."""
