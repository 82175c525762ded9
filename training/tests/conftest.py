"""Puts training/ on sys.path so tests can import the storydit and storyworld packages."""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
