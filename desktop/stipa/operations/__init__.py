"""Operations on documents shared by the GUI, the CLI and scripts (owned by engineer "ops")."""
