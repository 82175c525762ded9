"""Fixed geometry of the storyworld stage, shared by motion, backgrounds and labels.

World coordinates: x to the right, y downwards (like image rows), one unit = the
height of a wide frame. A wide frame centred at (cx, 0) shows y in [-0.5, 0.5].
The background is defined for every world point, so pans and zoom-outs reveal more
of it instead of running off an edge.
"""

HORIZON_Y = 0.12  # where sky meets ground (sea, dunes, road) in every setting
FLOOR_Y = 0.34  # grounded actors stand with their centre one radius above this line
SKY_Y = -0.14  # flying actors (birds) hover with their centre at this height

WIDE_VIEW_HEIGHT = 1.0  # world units visible vertically in a wide shot

# Prop slots (trees, buildings, ...) are a row of equal cells centred on x = 0; with
# the smallest spacing (city, 0.17) 48 cells still cover x in [-4, 4], wider than any
# camera ever sees (camera_x is within +-1, a zoomed-out frame is < 2 units wide).
PROP_SLOTS = 48
