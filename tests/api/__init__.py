"""Tests for the Home Assistant-free API package."""
