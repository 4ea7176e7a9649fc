/**
 * The IDE of a dev environment. CodeCatalyst needs one to create an environment. The JetBrains IDEs and Cloud9 run
 * from a runtime image; VS Code runs on your machine and needs none.
 */
export class Ide {
  /** Visual Studio Code, connected from your machine. */
  public static readonly VS_CODE = new Ide('VSCode');

  /**
   * AWS Cloud9 in the browser.
   * @param runtime a link to the runtime image (1 to 400 characters); leave it out for CodeCatalyst's default image
   */
  public static cloud9(runtime?: string): Ide {
    return new Ide('Cloud9', runtime);
  }

  /**
   * JetBrains IntelliJ IDEA, through JetBrains Gateway.
   * @param runtime a link to the runtime image (1 to 400 characters); leave it out for CodeCatalyst's default image
   */
  public static intelliJ(runtime?: string): Ide {
    return new Ide('IntelliJ', runtime);
  }

  /**
   * JetBrains PyCharm, through JetBrains Gateway.
   * @param runtime a link to the runtime image (1 to 400 characters); leave it out for CodeCatalyst's default image
   */
  public static pyCharm(runtime?: string): Ide {
    return new Ide('PyCharm', runtime);
  }

  /**
   * JetBrains GoLand, through JetBrains Gateway.
   * @param runtime a link to the runtime image (1 to 400 characters); leave it out for CodeCatalyst's default image
   */
  public static goLand(runtime?: string): Ide {
    return new Ide('GoLand', runtime);
  }

  /** An IDE by its API name (checked against the known ones at synth). */
  public static of(name: string, runtime?: string): Ide {
    return new Ide(name, runtime);
  }

  private constructor(
    /** The API name, e.g. `VSCode`. */
    public readonly name: string,
    /** The runtime image, if any. */
    public readonly runtime?: string,
  ) {}
}
