import { DataTypes, InferAttributes, InferCreationAttributes, Model, Sequelize } from 'sequelize';

/** A lease that lets one process at a time run a scheduled job. */
export class JobLock extends Model<InferAttributes<JobLock>, InferCreationAttributes<JobLock>> {
  declare name: string;
  declare owner: string;
  declare lockedUntil: Date;

  static initModel(sequelize: Sequelize): void {
    JobLock.init(
      {
        name: { type: DataTypes.STRING(64), primaryKey: true },
        owner: { type: DataTypes.STRING(64), allowNull: false },
        lockedUntil: { type: DataTypes.DATE, allowNull: false },
      },
      { sequelize, tableName: 'job_locks', underscored: true, timestamps: false },
    );
  }
}
