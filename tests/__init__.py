"""Tests for the Cloud Status integration."""
