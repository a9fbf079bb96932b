"""Voice of the customer (客户之声): what survey comments and complaint descriptions say.

Deck 001: 顾客的抱怨是珍贵的情报 — a complaint is precious intelligence; ask what customers
complain about and analyse the causes correctly. ``text`` tokenises (jieba for Chinese) and
masks personal data; ``model`` learns sentiment, themes and complaint causes from the
company's own texts when data is written (stored with the other fits); ``summary`` reads the
stored per-comment results for a page or the CLI.
"""
