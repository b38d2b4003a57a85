"""Workshop mode: the live app and animations for trainers."""
