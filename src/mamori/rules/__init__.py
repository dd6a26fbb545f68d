"""The regulations as data and pure functions. No Django import anywhere below here.

Every decision returned from this package carries the clause it rests on, written
as in `refs.py` (for example 「統一基準(H30) 2.1.1(8)(a)(ア)」).
"""
