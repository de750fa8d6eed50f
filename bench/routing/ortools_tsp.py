"""OR-Tools routing on a TSPLIB instance (EUC_2D), for comparison with
supplyml.route_optimize at the same time budget.

usage: ortools_tsp.py DATA_DIR INSTANCE SECONDS
prints: instance seconds length wall_seconds
"""
import math
import sys
import time

from ortools.constraint_solver import pywrapcp, routing_enums_pb2


def read_tsp(path):
    pts, inside = [], False
    with open(path) as f:
        for line in f:
            if line.startswith("NODE_COORD_SECTION"):
                inside = True
                continue
            if inside:
                parts = line.split()
                if len(parts) == 3:
                    pts.append((float(parts[1]), float(parts[2])))
    return pts


def main():
    data_dir, name, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    pts = read_tsp(f"{data_dir}/tsplib/{name}.tsp")
    n = len(pts)
    dist = [[int(math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) + 0.5) for b in pts] for a in pts]
    t0 = time.perf_counter()
    manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    cb = routing.RegisterTransitCallback(
        lambda i, j: dist[manager.IndexToNode(i)][manager.IndexToNode(j)])
    routing.SetArcCostEvaluatorOfAllVehicles(cb)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    sol = routing.SolveWithParameters(params)
    wall = time.perf_counter() - t0
    print(f"{name} {seconds} {sol.ObjectiveValue()} {wall:.3f}")


if __name__ == "__main__":
    main()
