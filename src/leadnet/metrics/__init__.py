"""Person-level and network-level measures, computed on igraph graphs.

Modules
-------
centrality
    Degree, strength, PageRank, betweenness, Burt's constraint and effective size per person;
    :func:`~leadnet.metrics.centrality.distance_from_strength`, the one place where a tie
    strength becomes a path length.
structure
    Network-level figures: density, dyad census, reciprocity, in-degree centralisation,
    Gini and coefficient of variation of in-degree.
brokerage
    Burt and Gould–Fernandez brokerage, participation.
leadership
    Indices of how widely leadership is distributed.
distribution
    The shares held below the top formal levels, and when privacy withholds them.
ranking
    Tukey's fence, competition rank and the top share of people, shared by roles and leadership.
roles
    Explainable role labels (informal leader, boundary spanner, ...).
"""
