"""Running the page and document stages: in this process, a local process pool, or Ray."""
