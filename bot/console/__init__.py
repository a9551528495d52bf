"""Staff console: pure helpers behind the screens where staff review conversations."""
