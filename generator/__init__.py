"""Gongkai: a static-site generator for Chinese government information-disclosure columns."""
