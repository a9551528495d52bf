"""The transit journey: departures, routes, fares and disruptions from any GTFS feed."""
