"""mamori (守り): information-security rules of Japanese government bodies, end to end."""

__version__ = "0.1.0"
