"""The load balancer's question: can this process answer, and can it reach its database?"""
