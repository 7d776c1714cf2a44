"""Emergency playbooks (Markdown with TOML front matter) and the runs operators work through."""
