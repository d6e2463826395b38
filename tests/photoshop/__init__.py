"""Tests of the Photoshop API jobs package."""
