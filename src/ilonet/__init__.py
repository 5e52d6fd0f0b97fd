"""ILOnet: platform for the European network of immigration liaison officers.

Regulation (EU) 2019/1240 and the operational strategy for more effective returns.
"""
