package dev.storyboard.inference.session;

/**
 * The actor a scene's words name, once per scene, for a model that draws it from its layout planner ({@link
 * ActorBoxes#sceneActor}): its kind, an index into the planner's kinds, for a model that reads the planned silhouette;
 * and its colour, an index into the planner's colours, for one that reads it painted. Each is −1 where the model names
 * none (a box model names neither, a silhouette model no colour), or while the scene has no words.
 */
record SceneActor(int kind, int colour) {
    /** Nothing named. */
    static final SceneActor NONE = new SceneActor(-1, -1);

    SceneActor {
        if (kind < -1 || colour < -1 || (colour >= 0 && kind < 0)) {
            throw new IllegalArgumentException("a scene's actor is a kind and a colour (a colour only with a kind), each "
                    + "an index or -1, got " + kind + ", " + colour);
        }
    }

    /** Whether the scene's words named anything (a kind; a colour comes with one). */
    boolean named() {
        return kind >= 0;
    }
}
