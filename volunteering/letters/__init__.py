"""PDF letters with a public verification code: the registry of kinds, codes and rendering."""
