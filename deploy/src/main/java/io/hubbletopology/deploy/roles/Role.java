package io.hubbletopology.deploy.roles;

/** A part of the system that runs in this process: started once, stopped once. */
public interface Role {

    /** A short name for logs ("broker", "processor", ...). */
    String name();

    /** Starts the role; returns once it is started (not necessarily ready). */
    void start() throws Exception;

    /** Stops the role and releases what it holds; must not throw for a role that did not start. */
    void stop();
}
