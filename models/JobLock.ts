import { DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/** A lease that lets one process at a time run a scheduled job. */
export class JobLock extends Model<InferAttributes<JobLock>, InferCreationAttributes<JobLock>> {
  declare name: string;
  declare owner: string;
  declare lockedUntil: Date;
  /** The scheduled time of the last run taken, so each scheduled run happens once. */
  declare lastSlot: Date | null;

  static initModel(sequelize: Sequelize): void {
    JobLock.init(
      {
        name: { type: DataTypes.STRING(64), primaryKey: true },
        owner: { type: DataTypes.STRING(64), allowNull: false },
        lockedUntil: { type: DataTypes.DATE, allowNull: false },
        lastSlot: { type: DataTypes.DATE, allowNull: true },
      },
      { sequelize, tableName: 'job_locks', underscored: true, timestamps: false },
    );
  }
}
