"""Programmes run jointly by a university and enterprises: order classes (订单班), modern
apprenticeships (现代学徒制) and industry colleges (产业学院), with their cohorts."""
