"""Streamlit pages (presentation only: they call the library, never build constraints)."""
